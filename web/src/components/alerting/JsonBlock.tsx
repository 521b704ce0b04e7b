import { CopyableCode } from './CopyableCode.tsx';

/** A JSON value pretty-printed, with a copy button. */
export function JsonBlock({ label, value, testId }: { label: string; value: unknown; testId?: string }) {
  const text = value === undefined ? 'null' : JSON.stringify(value, null, 2);
  return <CopyableCode label={label} value={text} block {...(testId ? { testId } : {})} />;
}
