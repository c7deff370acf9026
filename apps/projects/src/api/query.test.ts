import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCollectionQuery, parseFilters, parsePagination, snakeCase, type FilterDef } from './query.ts';

const defs: Record<string, FilterDef> = {
  read_ian: { label: 'Read', operators: ['='], values: 'boolean' },
  resource_id: { label: 'Resource', operators: ['='], values: 'integer' },
  storage_url: { label: 'Storage URL', operators: ['='], values: 'string' },
  user_action: { label: 'User action', operators: ['&='], values: 'string' },
  assignee: { label: 'Assignee', operators: ['=', '!', '*', '!*'], values: 'integer', allowMe: true },
};

describe('API v3 query parameters', () => {
  it('reads the filters the Nextcloud app sends, camelCase names included', () => {
    assert.deepEqual(parseFilters('[{"readIAN":{"operator":"=","values":["f"]}}]', defs), [{ name: 'read_ian', operator: '=', values: ['f'] }]);
    const available = '[{"storageUrl":{"operator":"=","values":["https://nc.my-server.org"]},"userAction":{"operator":"&=","values":["file_links/manage","work_packages/create"]}}]';
    assert.deepEqual(parseFilters(available, defs).map((f) => f.name), ['storage_url', 'user_action']);
    assert.deepEqual(parseFilters('[{"assignee":{"operator":"*"}}]', defs), [{ name: 'assignee', operator: '*', values: [] }]);
    assert.deepEqual(parseFilters('[{"assignee":{"operator":"=","values":["me", 7]}}]', defs)[0]!.values, ['me', '7']);
    assert.deepEqual(parseFilters('[]', defs), []);
  });

  it('names the problem as OpenProject does', () => {
    const message = (raw: string) => {
      try {
        parseFilters(raw, defs);
        return 'accepted';
      } catch (error) {
        assert.equal((error as { code: string }).code, 'invalid_query');
        return (error as Error).message;
      }
    };
    assert.equal(message('[{"nope":{"operator":"=","values":["1"]}}]'), 'Filters Invalid filter does not exist.');
    assert.equal(message('[{"resourceId":{"operator":"=","values":["x"]}}]'), 'Filters Resource filter has invalid values.');
    assert.equal(message('[{"resourceId":{"operator":"=","values":[]}}]'), 'Filters Resource filter has invalid values.');
    assert.equal(message('[{"readIAN":{"operator":"=","values":["maybe"]}}]'), 'Filters Read filter has invalid values.');
    assert.equal(message('[{"readIAN":{"operator":"!","values":["t"]}}]'), 'Filters Read Operator is not set to one of the allowed values.');
    assert.equal(message('{"readIAN":{}}'), 'Filters must be a JSON array of objects.');
    assert.equal(message('[1]'), 'Filters must be a JSON array of objects.');
    assert.equal(message('[{"toString":{"operator":"="}}]'), 'Filters Invalid filter does not exist.');
    assert.match(message('[{'), /^unexpected token at/);
  });

  it('clamps pageSize to 1000, treats -1 as the maximum and offsets as 1-based pages', () => {
    assert.deepEqual(parsePagination({}), { pageSize: 20, offset: 1 });
    assert.deepEqual(parsePagination({ pageSize: '5000', offset: '3' }), { pageSize: 1000, offset: 3 });
    assert.deepEqual(parsePagination({ pageSize: '-1' }), { pageSize: 1000, offset: 1 });
    assert.deepEqual(parsePagination({ pageSize: 'many', offset: '0' }), { pageSize: 20, offset: 1 });
    assert.deepEqual(parsePagination({ pageSize: '0' }), { pageSize: 0, offset: 1 });
  });

  it('reads sortBy and falls back to the default order', () => {
    const spec = { filters: defs, sorts: ['id', 'updated_at'], defaultSort: [['id', 'asc']] as [string, 'asc'][] };
    assert.deepEqual(parseCollectionQuery({ sortBy: '[["updatedAt","desc"]]' }, spec).sortBy, [['updated_at', 'desc']]);
    assert.deepEqual(parseCollectionQuery({}, spec).sortBy, [['id', 'asc']]);
    assert.throws(() => parseCollectionQuery({ sortBy: '[["id","sideways"]]' }, spec), { code: 'invalid_query' });
    assert.throws(() => parseCollectionQuery({ sortBy: '[["colour","asc"]]' }, spec), { message: 'Sort by Invalid order does not exist.' });
  });

  it('converts names like OpenProject (Rails underscore)', () => {
    assert.equal(snakeCase('readIAN'), 'read_ian');
    assert.equal(snakeCase('linkable_to_storage_url'), 'linkable_to_storage_url');
    assert.equal(snakeCase('fileLinkOriginId'), 'file_link_origin_id');
  });
});
