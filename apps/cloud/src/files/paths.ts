/**
 * Paths inside a view or a storage are normalised strings without leading or trailing slash
 * (`''` is the root, `a/b` a grand-child). Every segment that reaches the files layer went through
 * `checkSegment`, so `..`, NUL, backslashes and empty segments never touch the database or the disk.
 */
export class InvalidPathError extends Error {
  constructor(readonly segment: string) {
    super(`Invalid path segment`);
    this.name = 'InvalidPathError';
  }
}

const FORBIDDEN = /[\u0000-\u001f\\/]/;

export function checkSegment(segment: string): string {
  if (segment === '' || segment === '.' || segment === '..' || FORBIDDEN.test(segment) || segment.length > 250) {
    throw new InvalidPathError(segment);
  }
  return segment;
}

/** Decode the percent-encoded segments of a URL path tail (`a%20b/c/`) into a checked path. */
export function decodeUrlPath(tail: string): string {
  const segments: string[] = [];
  for (const raw of tail.split('/')) {
    if (raw === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      throw new InvalidPathError(raw);
    }
    segments.push(checkSegment(decoded));
  }
  return segments.join('/');
}

/** Normalise a path given by a caller (service API): checks every segment. */
export function normalizePath(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(checkSegment)
    .join('/');
}

export const joinPath = (parent: string, name: string) => (parent === '' ? name : `${parent}/${name}`);

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** `a/b/c` → `['', 'a', 'a/b']`: the ancestors whose etag and size follow a change of `a/b/c`. */
export function ancestorsOf(path: string): string[] {
  if (path === '') return [];
  const result = [''];
  let index = path.indexOf('/');
  while (index >= 0) {
    result.push(path.slice(0, index));
    index = path.indexOf('/', index + 1);
  }
  return result;
}

/** Is `path` equal to or below `ancestor`? */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '' || path === ancestor || path.startsWith(`${ancestor}/`);
}

/** Replace the `from` prefix of `path` by `to`. */
export function rebase(path: string, from: string, to: string): string {
  if (path === from) return to;
  const rest = from === '' ? path : path.slice(from.length + 1);
  return to === '' ? rest : `${to}/${rest}`;
}
