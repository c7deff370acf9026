import { describe, expect, test } from 'vitest';
import { messageFromBody } from './http.ts';
import { workPackageFilters, type Project } from './resources.ts';
import { identifierFor, projectTree } from '../pages/ProjectsPage.tsx';

const project = (id: number, name: string, parent: number | null) =>
  ({ id, name, identifier: identifierFor(name), _links: { parent: { href: parent ? `/api/v3/projects/${parent}` : null }, ancestors: [] } }) as unknown as Project;

describe('API v3 helpers', () => {
  test('work package filters in OpenProject’s JSON syntax (open by default, me, nobody, typeahead)', () => {
    expect(workPackageFilters({ status: '', assignee: '', type: '', text: '' })).toEqual([{ status: { operator: 'o', values: [] } }]);
    expect(workPackageFilters({ status: '3', assignee: 'me', type: '2', text: ' gear ' })).toEqual([
      { status: { operator: '=', values: ['3'] } },
      { assignee: { operator: '=', values: ['me'] } },
      { type: { operator: '=', values: ['2'] } },
      { typeahead: { operator: '**', values: ['gear'] } },
    ]);
    expect(workPackageFilters({ status: '*', assignee: 'none', type: '', text: '' })).toEqual([
      { status: { operator: '*', values: [] } },
      { assignee: { operator: '!*', values: [] } },
    ]);
  });

  test('error messages from Error resources, including MultipleErrors', () => {
    expect(messageFromBody(JSON.stringify({ _type: 'Error', message: 'Subject can’t be blank.' }), 422)).toBe('Subject can’t be blank.');
    expect(messageFromBody(JSON.stringify({ message: 'Multiple field constraints have been violated.', _embedded: { errors: [{ message: 'A.' }, { message: 'B.' }] } }), 422)).toBe('A. B.');
    expect(messageFromBody('<html>', 502)).toBe('The server answered 502');
  });

  test('projects as a tree with sub-projects under their parents; identifiers as OpenProject suggests them', () => {
    const tree = projectTree([project(1, 'Apollo', null), project(2, 'Gemini', null), project(3, 'Lunar module', 1), project(4, 'Hidden child', 99)]);
    expect(tree.map((t) => `${t.depth}:${t.project.name}`)).toEqual(['0:Apollo', '1:Lunar module', '0:Gemini', '0:Hidden child']);
    expect(identifierFor('Lunar Module (LM-5)')).toBe('lunar-module-lm-5');
  });
});
