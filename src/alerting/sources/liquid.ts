import { createRequire } from 'node:module';
import type { Liquid as LiquidEngine, Template } from 'liquidjs';

/** Loaded when the first sandbox is made: only generic webhooks with templates need LiquidJS (8 MiB). */
let LiquidClass: typeof LiquidEngine | undefined;
const liquidClass = (): typeof LiquidEngine =>
  (LiquidClass ??= (createRequire(import.meta.url)('liquidjs') as { Liquid: typeof LiquidEngine }).Liquid);
import { AppError } from '../../platform/errors.ts';

/**
 * LiquidJS for templates written by integration admins and fed by payloads from senders: neither may read
 * files, reach JavaScript objects' prototypes, or stall the server.
 *
 * - No filesystem: `include`, `render`, `layout` and `block` are unregistered (a template using them is refused
 *   when saved), and lookups go to an empty in-memory map, never `fs`.
 * - `ownPropertyOnly`: `{{ item.constructor }}` and `{{ payload.__proto__ }}` read only the payload's own keys.
 * - `strictFilters`: a misspelled filter is a save-time error, not a silently empty output.
 * - LiquidJS's DoS limits: template length (`parseLimit`), render time (`renderLimit`), and allocation
 *   (`memoryLimit`: ranges, `join`, `append`, `json`…), plus a time budget shared by all renders of one
 *   request, so a 1,000-item payload cannot multiply the per-render limit.
 */

export interface LiquidLimits {
  /** Longest template accepted. Mapping fields are one-liners; 10k leaves room for real formatting. */
  readonly maxTemplateChars: number;
  /**
   * Per render. Real templates take microseconds; only a loop bomb gets near this. Generous on purpose: a GC
   * pause or a busy CPU must not turn a legitimate page into a 4xx (most bombs hit `memoryLimit` first anyway).
   */
  readonly renderLimitMs: number;
  /** LiquidJS allocation units (array elements, string characters) per render. */
  readonly memoryLimit: number;
  /** Time for all the renders of one request together (see {@link RenderBudget}). */
  readonly requestBudgetMs: number;
}

export const DEFAULT_LIQUID_LIMITS: LiquidLimits = {
  maxTemplateChars: 10_000,
  renderLimitMs: 200,
  memoryLimit: 1_000_000,
  requestBudgetMs: 1_000,
};

/** Where a template sits, for error messages (`labels.team`) and pointers (`/labels/team`). */
export interface TemplateSite {
  readonly field: string;
  readonly pointer: string;
}

/**
 * A time budget for one request's renders. A CPU budget, not domain time: it reads the monotonic
 * `performance.now()` (as LiquidJS's own `renderLimit` does), never the wall clock.
 */
export class RenderBudget {
  readonly #deadline: number;

  constructor(ms: number) {
    this.#deadline = performance.now() + ms;
  }

  remainingMs(): number {
    return this.#deadline - performance.now();
  }
}

export interface SandboxedLiquid {
  readonly limits: LiquidLimits;
  /** Parses `source` (cached), throwing a validation AppError that names the field. For save-time checks. */
  check(source: string, site: TemplateSite): void;
  /** Renders to text; limit and render failures are validation AppErrors naming the field. */
  render(source: string, scope: object, site: TemplateSite, budget?: RenderBudget): string;
  newBudget(): RenderBudget;
}

const FILE_TAGS = ['include', 'render', 'layout', 'block'];
const CACHE_MAX = 512;

export function createSandboxedLiquid(overrides: Partial<LiquidLimits> = {}): SandboxedLiquid {
  const limits: LiquidLimits = { ...DEFAULT_LIQUID_LIMITS, ...overrides };
  const engine = new (liquidClass())({
    templates: {},
    relativeReference: false,
    dynamicPartials: false,
    strictFilters: true,
    strictVariables: false,
    ownPropertyOnly: true,
    catchAllErrors: false,
    globals: {},
    parseLimit: limits.maxTemplateChars,
    renderLimit: limits.renderLimitMs,
    memoryLimit: limits.memoryLimit,
  });
  for (const tag of FILE_TAGS) delete engine.tags[tag];
  const cache = new Map<string, Template[]>();

  const parse = (source: string, site: TemplateSite): Template[] => {
    const hit = cache.get(source);
    if (hit) return hit;
    if (source.length > limits.maxTemplateChars) {
      throw templateError(site, `template is longer than ${limits.maxTemplateChars} characters`);
    }
    let parsed: Template[];
    try {
      parsed = engine.parse(source);
    } catch (e) {
      throw templateError(site, `template syntax error: ${messageOf(e)}`, e);
    }
    if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
    cache.set(source, parsed);
    return parsed;
  };

  return {
    limits,
    newBudget: () => new RenderBudget(limits.requestBudgetMs),
    check(source, site) {
      parse(source, site);
    },
    render(source, scope, site, budget) {
      const templates = parse(source, site);
      const remaining = budget ? budget.remainingMs() : limits.renderLimitMs;
      if (remaining <= 0) {
        throw templateError(
          site,
          `template stopped: this request used its ${limits.requestBudgetMs} ms render budget`,
        );
      }
      try {
        const out: unknown = engine.renderSync(templates, scope, {
          renderLimit: Math.min(limits.renderLimitMs, remaining),
          memoryLimit: limits.memoryLimit,
          ownPropertyOnly: true,
        });
        return typeof out === 'string' ? out : String(out);
      } catch (e) {
        const msg = messageOf(e);
        const detail = /limit exceeded/.test(msg)
          ? `template stopped: ${msg} (limits: ${limits.renderLimitMs} ms, ${limits.memoryLimit} allocations)`
          : `template failed to render: ${msg}`;
        throw templateError(site, detail, e);
      }
    },
  };
}

function templateError(site: TemplateSite, detail: string, cause?: unknown): AppError {
  return new AppError('validation', `${site.field}: ${detail}`, {
    errors: [{ pointer: site.pointer, detail }],
    cause,
  });
}

/** LiquidJS messages carry line and column; the stack and the template excerpt stay out of 4xx bodies. */
function messageOf(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.length > 300 ? `${msg.slice(0, 299)}…` : msg;
}
