// `npm start` runs this first: the server serves web/dist, so build it when it is missing or stale.
import { ensureWebBuild } from './web-build.ts';

ensureWebBuild();
