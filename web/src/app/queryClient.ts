import { QueryClient } from '@tanstack/react-query';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // One quick retry hides a blip; longer outages should show up on screen, not behind a spinner.
        retry: 1,
        retryDelay: 500,
        staleTime: 5_000,
      },
    },
  });
}
