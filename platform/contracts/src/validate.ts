import { Compile } from 'typebox/compile';
import type { TSchema, Static } from 'typebox';
import { InboundEvent, OutboundCommand, StatusEvent, DomainEvent } from './messages.js';

export interface ValidationIssue {
  path: string;
  message: string;
}

export type Validation<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

/** A compiled runtime check for one schema; the same schema gives the TypeScript type. */
export interface Validator<T> {
  check(value: unknown): value is T;
  validate(value: unknown): Validation<T>;
}

export function validator<S extends TSchema>(schema: S): Validator<Static<S>> {
  const compiled = Compile(schema);
  return {
    check: (value): value is Static<S> => compiled.Check(value),
    validate(value) {
      if (compiled.Check(value)) return { ok: true, value: value as Static<S> };
      const issues = [...compiled.Errors(value)].slice(0, 20).map((e) => ({
        path: e.instancePath || '/',
        message: e.message,
      }));
      return { ok: false, issues };
    },
  };
}

/** One sentence naming the first few problems, for dead-letter reasons and logs. */
export function describeIssues(issues: ValidationIssue[]): string {
  return issues
    .slice(0, 5)
    .map((i) => `${i.path} ${i.message}`)
    .join('; ');
}

export const inboundEventValidator = validator(InboundEvent);
export const outboundCommandValidator = validator(OutboundCommand);
export const statusEventValidator = validator(StatusEvent);
export const domainEventValidator = validator(DomainEvent);
