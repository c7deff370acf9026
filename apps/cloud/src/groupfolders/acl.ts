import { PERMISSION } from '../files/types.ts';
import { ancestorsOf, parentOf } from '../files/paths.ts';

/** One stored rule, with the current path (inside the folder) of the node it is attached to. */
export interface AclRule {
  nodeId: number;
  path: string;
  mappingType: string;
  mappingId: string;
  mask: number;
  permissions: number;
}

export interface Mask {
  mask: number;
  permissions: number;
}

/** Bits in `mask`: set in `permissions` = allow, clear = deny; other bits are inherited from `bits`. */
export const applyRule = (bits: number, rule: Mask): number => (bits & (~rule.mask | rule.permissions)) | (rule.mask & rule.permissions);

/** Several rules of one path that apply to a user: masks and permissions OR-ed, so allow beats deny. */
export function mergeRules(rules: Mask[]): Mask {
  let mask = 0;
  let permissions = 0;
  for (const rule of rules) {
    mask |= rule.mask;
    permissions |= rule.permissions & rule.mask;
  }
  return { mask, permissions };
}

export const mappingKey = (rule: { mappingType: string; mappingId: string }) => `${rule.mappingType}:${rule.mappingId}`;

/**
 * Effective ACL permissions of one user in one folder: from `base`, each path from the folder root
 * down to the node applies its merged rule (deeper overrides shallower), then the result is capped by
 * the user's group-level permissions. Results are memoised per path (listings ask for every node).
 */
export class AclEvaluator {
  private readonly merged = new Map<string, Mask>();
  private readonly memo = new Map<string, number>();

  constructor(
    applicable: AclRule[],
    readonly base: number,
    readonly cap: number,
  ) {
    const byPath = new Map<string, Mask[]>();
    for (const rule of applicable) byPath.set(rule.path, [...(byPath.get(rule.path) ?? []), rule]);
    for (const [path, rules] of byPath) this.merged.set(path, mergeRules(rules));
  }

  /** The ACL result without the group cap. */
  private uncapped(path: string): number {
    let bits = this.memo.get(path);
    if (bits === undefined) {
      const inherited = path === '' ? this.base : this.uncapped(parentOf(path));
      const own = this.merged.get(path);
      bits = own ? applyRule(inherited, own) : inherited;
      this.memo.set(path, bits);
    }
    return bits;
  }

  permissions(path: string): number {
    return this.uncapped(path) & this.cap;
  }

  /** What `permissions(path)` would be if the user's rules on `path` itself were `rules`. */
  permissionsWith(path: string, rules: Mask[]): number {
    const inherited = path === '' ? this.base : this.uncapped(parentOf(path));
    return (rules.length ? applyRule(inherited, mergeRules(rules)) : inherited) & this.cap;
  }
}

/**
 * `nc:inherited-acl-list`: per mapping found on the ancestors of `path`, the permissions accumulated
 * from `base` through that mapping's ancestor rules, and the OR of their masks.
 */
export function inheritedRules(rulesAt: (path: string) => AclRule[], path: string, base: number): { mappingType: string; mappingId: string; mask: number; permissions: number }[] {
  const out = new Map<string, { mappingType: string; mappingId: string; mask: number; permissions: number }>();
  for (const ancestor of ancestorsOf(path)) {
    for (const rule of rulesAt(ancestor)) {
      const key = mappingKey(rule);
      const current = out.get(key) ?? { mappingType: rule.mappingType, mappingId: rule.mappingId, mask: 0, permissions: base };
      out.set(key, { ...current, mask: current.mask | rule.mask, permissions: applyRule(current.permissions, rule) });
    }
  }
  return [...out.values()];
}

/** Permission names of `occ groupfolders:group` and their bits. */
export const PERMISSION_NAMES: Record<string, number> = {
  read: PERMISSION.read,
  write: PERMISSION.update,
  create: PERMISSION.create,
  delete: PERMISSION.delete,
  share: PERMISSION.share,
};
