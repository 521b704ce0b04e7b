import { describe, expect, it } from 'vitest';
import { codeMatches, hashVerificationCode, newVerificationCode } from './codes.ts';

describe('verification codes', () => {
  it('are six digits, leading zeros kept', () => {
    for (let i = 0; i < 200; i++) expect(newVerificationCode()).toMatch(/^\d{6}$/);
  });

  it('are stored salted with the method id, and match with spaces or dashes typed in', () => {
    const hash = hashVerificationCode('cm_1', '012345');
    expect(hash).not.toContain('012345');
    expect(hash).not.toBe(hashVerificationCode('cm_2', '012345'));
    expect(codeMatches('cm_1', '012 345', hash)).toBe(true);
    expect(codeMatches('cm_1', '012-345', hash)).toBe(true);
    expect(codeMatches('cm_1', '012346', hash)).toBe(false);
    expect(codeMatches('cm_2', '012345', hash)).toBe(false);
  });
});
