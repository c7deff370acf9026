import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AclEvaluator, applyRule, inheritedRules, type AclRule } from './acl.ts';

const rule = (path: string, mappingType: string, mappingId: string, mask: number, permissions: number): AclRule => ({
  nodeId: 0,
  path,
  mappingType,
  mappingId,
  mask,
  permissions,
});

describe('ACL evaluation (groupfolders semantics)', () => {
  it('applies allow and deny inside the mask and inherits the other bits', () => {
    assert.equal(applyRule(31, { mask: 2, permissions: 0 }), 29);
    assert.equal(applyRule(1, { mask: 6, permissions: 6 }), 7);
    assert.equal(applyRule(31, { mask: 31, permissions: 1 }), 1);
  });

  it('lets allow win over deny on the same path (user allow + group deny, the OpenProject pattern)', () => {
    const acl = new AclEvaluator([rule('p', 'group', 'OpenProject', 31, 0), rule('p', 'user', 'leia', 31, 3)], 31, 31);
    assert.equal(acl.permissions('p'), 3);
    assert.equal(acl.permissions('p/file.txt'), 3);
  });

  it('lets deeper rules override shallower ones, and the group permissions cap everything', () => {
    const acl = new AclEvaluator([rule('', 'group', 'g', 31, 1), rule('a', 'group', 'g', 31, 0), rule('a/b', 'user', 'u', 15, 15)], 31, 31);
    assert.equal(acl.permissions(''), 1);
    assert.equal(acl.permissions('a'), 0);
    assert.equal(acl.permissions('a/b/c'), 15);
    const capped = new AclEvaluator([rule('a', 'user', 'u', 31, 31)], 31, 1);
    assert.equal(capped.permissions('a'), 1);
  });

  it('starts from nothing with acl_default_no_permission', () => {
    const acl = new AclEvaluator([rule('shared', 'user', 'u', 1, 1)], 0, 31);
    assert.equal(acl.permissions(''), 0);
    assert.equal(acl.permissions('shared/x'), 1);
  });

  it('accumulates inherited rules per mapping from the base permission', () => {
    const rules = [rule('', 'group', 'g', 31, 1), rule('a', 'group', 'g', 2, 2), rule('a', 'user', 'u', 8, 0), rule('a/b', 'user', 'u', 31, 31)];
    const at = (path: string) => rules.filter((r) => r.path === path);
    assert.deepEqual(inheritedRules(at, 'a/b', 31), [
      { mappingType: 'group', mappingId: 'g', mask: 31, permissions: 3 },
      { mappingType: 'user', mappingId: 'u', mask: 8, permissions: 23 },
    ]);
    assert.deepEqual(inheritedRules(at, '', 31), []);
  });
});
