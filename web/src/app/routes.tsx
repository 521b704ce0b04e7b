import type { ReactNode } from 'react';
import { AboutPage } from '../pages/AboutPage.tsx';
import { HomePage } from '../pages/HomePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { StagePage } from '../pages/StagePage.tsx';
import { STAGES } from './nav.ts';

/** The page for a normalized path; unknown paths get a page, not a blank screen. */
export function renderRoute(path: string): ReactNode {
  if (path === '/') return <HomePage />;
  if (path === '/about') return <AboutPage />;
  const stage = STAGES.find((candidate) => candidate.path === path);
  if (stage) return <StagePage key={stage.path} stage={stage} />;
  return <NotFoundPage path={path} />;
}
