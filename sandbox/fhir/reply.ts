/**
 * What a FHIR handler receives and returns, independent of node's http objects, and the
 * OperationOutcome replies for errors.
 */
import { OperationOutcomeError, getStatus, normalizeOperationOutcome } from '@medplum/core';
import type { OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';

export type FhirCall = Readonly<{
  method: string;
  /** Path segments after the FHIR base, decoded. */
  segments: readonly string[];
  query: URLSearchParams;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: unknown;
  /** The FHIR base URL, e.g. http://127.0.0.1:8080/fhir */
  base: string;
  /** The full URL of the request, for self links. */
  url: string;
}>;

export type FhirReply = Readonly<{
  status: number;
  body?: Resource;
  headers?: Readonly<Record<string, string>>;
}>;

export function outcome(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

export function errorReply(status: number, code: OperationOutcomeIssue['code'], text: string, headers?: Record<string, string>): FhirReply {
  return { status, body: outcome('error', code, text), ...(headers ? { headers } : {}) };
}

/** A thrown error as a reply: OperationOutcomeErrors keep their status, anything else is a 500. */
export function replyForError(error: unknown): FhirReply {
  if (error instanceof OperationOutcomeError) {
    return { status: getStatus(error.outcome), body: error.outcome };
  }
  const normalized = normalizeOperationOutcome(error);
  const status = getStatus(normalized);
  return { status: status >= 400 ? status : 500, body: normalized };
}

/** Thrown by handlers for a client error that has no Medplum outcome constant. */
export class FhirRequestError extends Error {
  readonly status: number;
  readonly code: OperationOutcomeIssue['code'];

  constructor(status: number, code: OperationOutcomeIssue['code'], message: string) {
    super(message);
    this.name = 'FhirRequestError';
    this.status = status;
    this.code = code;
  }
}

export function badRequest(message: string): FhirRequestError {
  return new FhirRequestError(400, 'invalid', message);
}
