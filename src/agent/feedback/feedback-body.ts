// Ground-truth feedback: the body a user POSTs with true labels, and joining those labels with the
// predictions the agent served. Contract: parsing never throws (a bad body gives one message naming
// each wrong field, fit for a 400 answer), and a label set is joined at most once and only whole.
//
// Accepted bodies (unknown fields are errors, so a typo such as "lables" is reported, not ignored):
//   {"requestId": "…", "labels": [l1, l2, …]}   one label per row of the original request
//   {"requestId": "…", "label": l}              the same for a one-row request
//   {"feedback": [ item, item, … ]}             a batch of the above, at most maxItems
// where a label is a number or a string (compared as in quality.ts normaliseLabel).
import { z } from "zod";
import type { PredictionStore } from "./prediction-store.ts";
import type { LabelValue, QualityTracker } from "./quality.ts";

export const DEFAULT_MAX_FEEDBACK_ITEMS = 100;
/** Longest request id accepted (the agent's own ids are UUIDs). */
export const MAX_REQUEST_ID_LENGTH = 128;
/** Longest string label accepted. */
export const MAX_LABEL_LENGTH = 1024;
/** Issues listed in one error message; the rest are only counted. */
const MAX_LISTED_ISSUES = 5;

/** The labels posted for one request, one per row (the `label` shorthand becomes one row). */
export interface FeedbackItem {
  readonly requestId: string;
  readonly labels: readonly LabelValue[];
}

export type ParsedFeedback = { readonly ok: true; readonly items: readonly FeedbackItem[] } | { readonly ok: false; readonly error: string };

export interface FeedbackBodyOptions {
  /** Most items in a batch; DEFAULT_MAX_FEEDBACK_ITEMS when absent. */
  readonly maxItems?: number;
}

/** "is required" for a missing field, else `must be <what>`. */
const expected = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? "is required" : `must be ${what}`);

const RequestId = z
  .string({ error: expected("a string") })
  .min(1, "must not be empty")
  .max(MAX_REQUEST_ID_LENGTH, `must be at most ${MAX_REQUEST_ID_LENGTH} characters`)
  .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces");

const Label = z
  .union([z.number(), z.string()], { error: "must be a number or a string" })
  .refine((v) => typeof v !== "string" || v.length <= MAX_LABEL_LENGTH, `must be at most ${MAX_LABEL_LENGTH} characters`);

const Item = z
  .strictObject(
    {
      requestId: RequestId,
      labels: z.array(Label, { error: "must be an array" }).min(1, "must have at least one label").optional(),
      label: Label.optional(),
    },
    { error: (issue) => (issue.code === "invalid_type" ? "must be an object" : undefined) },
  )
  .superRefine((item, ctx) => {
    if (item.labels !== undefined && item.label !== undefined) {
      ctx.addIssue({ code: "custom", path: ["label"], message: "must not be given together with labels" });
    } else if (item.labels === undefined && item.label === undefined) {
      ctx.addIssue({ code: "custom", path: ["labels"], message: "is required (or label, for a one-row request)" });
    }
  });

const Batch = z.strictObject({ feedback: z.array(Item, { error: "must be an array" }).min(1, "must have at least one item") });

/** `feedback[2].labels[0]`; the document itself is `body`. */
function fieldName(path: readonly PropertyKey[]): string {
  let name = "body";
  for (const key of path) name += typeof key === "number" ? `[${key}]` : `.${String(key)}`;
  return name;
}

/** One line naming each wrong field (unknown fields by their own name). */
function describe(error: z.ZodError): string {
  const lines = error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => `${fieldName([...issue.path, key])}: unknown field`)
      : [`${fieldName(issue.path)}: ${issue.message}`],
  );
  const more = lines.length - MAX_LISTED_ISSUES;
  return lines.slice(0, MAX_LISTED_ISSUES).join("; ") + (more > 0 ? `; and ${more} more` : "");
}

const toItem = (item: z.output<typeof Item>): FeedbackItem => ({
  requestId: item.requestId,
  labels: item.labels ?? (item.label === undefined ? [] : [item.label]),
});

/** Validates an already parsed body; never throws. */
export function validateFeedback(value: unknown, options: FeedbackBodyOptions = {}): ParsedFeedback {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, error: "body: must be a JSON object" };
  if ("feedback" in value) {
    const maxItems = options.maxItems ?? DEFAULT_MAX_FEEDBACK_ITEMS;
    // Checked before the items are, so an oversized batch costs no validation.
    if (Array.isArray(value.feedback) && value.feedback.length > maxItems) {
      return { ok: false, error: `body.feedback: must have at most ${maxItems} items (has ${value.feedback.length})` };
    }
    const batch = Batch.safeParse(value);
    return batch.success ? { ok: true, items: batch.data.feedback.map(toItem) } : { ok: false, error: describe(batch.error) };
  }
  const item = Item.safeParse(value);
  return item.success ? { ok: true, items: [toItem(item.data)] } : { ok: false, error: describe(item.error) };
}

/** Parses a body as UTF-8 JSON, then validates it as validateFeedback does; never throws. */
export function parseFeedbackBody(body: string | Uint8Array, options: FeedbackBodyOptions = {}): ParsedFeedback {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body));
  } catch (error) {
    return { ok: false, error: `body: not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  return validateFeedback(value, options);
}

/** `joined`: labels scored; `unknown`: no live prediction for the id; `mismatch`: wrong label count. */
export type JoinStatus = "joined" | "unknown" | "mismatch";

export interface JoinOutcome {
  readonly requestId: string;
  readonly status: JoinStatus;
  /** (prediction, label) pairs handed to the tracker; 0 unless joined. */
  readonly rows: number;
  /** Why the item was not joined. */
  readonly reason?: string;
}

/**
 * Joins each item, in order, with the predictions stored for its request id and scores the pairs.
 * The label count must equal the rows the request had: a mismatch consumes nothing (the
 * predictions stay, so a corrected feedback can still be joined until they expire). When the
 * store kept fewer rows than the request had (maxRowsPerEntry), only the kept rows are scored.
 * An id already joined, expired, evicted or never served is `unknown` (so is a repeated id in a batch).
 */
export function joinFeedback(
  store: Pick<PredictionStore, "peek" | "take">,
  tracker: Pick<QualityTracker, "add">,
  items: readonly FeedbackItem[],
  nowMs: number,
): JoinOutcome[] {
  return items.map(({ requestId, labels }): JoinOutcome => {
    const stored = store.peek(requestId, nowMs);
    if (stored === undefined) return { requestId, status: "unknown", rows: 0, reason: "unknown request id (expired, evicted or already joined)" };
    if (labels.length !== stored.rows) {
      return { requestId, status: "mismatch", rows: 0, reason: `${labels.length} label(s) for a request of ${stored.rows} row(s)` };
    }
    store.take(requestId, nowMs);
    let rows = 0;
    for (const [i, prediction] of stored.predictions.entries()) {
      const label = labels[i];
      if (label === undefined) break;
      tracker.add(prediction, label);
      rows++;
    }
    return { requestId, status: "joined", rows };
  });
}
