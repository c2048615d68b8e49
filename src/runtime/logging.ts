// Structured JSON logs (winston). One root logger per process; a child per reconcile.
import { randomUUID } from "node:crypto";
import winston from "winston";

export type Logger = winston.Logger;

export interface LoggerOptions {
  level?: string;
  /** Silence output (tests that assert on behaviour, not logs). */
  silent?: boolean;
}

/** A JSON logger to stderr with ISO timestamps. Messages are capitalised, past tense, naming the kind. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return winston.createLogger({
    level: options.level ?? "info",
    silent: options.silent ?? false,
    format: winston.format.combine(winston.format.timestamp(), winston.format.errors({ stack: true }), winston.format.json()),
    transports: [new winston.transports.Stream({ stream: process.stderr })],
  });
}

/** The logger of one reconcile: controller, namespace, name and a reconcileID to follow it. */
export function reconcileLogger(root: Logger, controller: string, key: string): Logger {
  const slash = key.indexOf("/");
  const namespace = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  return root.child({ controller, namespace, name, reconcileID: randomUUID() });
}
