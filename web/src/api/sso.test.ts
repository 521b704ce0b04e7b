import { describe, expect, it } from 'vitest';
import { SSO_ERROR_CODES } from '../../../src/identity/sso/failure.ts';
import { SSO_ERROR_TEXT } from './sso.ts';

describe('single sign-on failures on the sign-in page', () => {
  it('words every failure code the server can send, and nothing else', () => {
    expect(Object.keys(SSO_ERROR_TEXT).sort()).toEqual([...SSO_ERROR_CODES].sort());
  });
});
