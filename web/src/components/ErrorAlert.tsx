import { Alert, Button } from '@mantine/core';
import { IconAlertCircle, IconRefresh } from '@tabler/icons-react';
import { describeError } from '../lib/errors.ts';

interface ErrorAlertProps {
  /** What failed, e.g. "Could not load the people". */
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failed load or action, in the server's words, with a retry when one makes sense. */
export function ErrorAlert({ title, error, onRetry }: ErrorAlertProps) {
  return (
    <Alert
      role="alert"
      color="red"
      variant="light"
      title={title}
      icon={<IconAlertCircle aria-hidden />}
      mb="md"
    >
      {describeError(error)}
      {onRetry && (
        <Button
          display="block"
          mt="sm"
          size="xs"
          variant="default"
          leftSection={<IconRefresh size={14} aria-hidden />}
          onClick={onRetry}
        >
          Try again
        </Button>
      )}
    </Alert>
  );
}
