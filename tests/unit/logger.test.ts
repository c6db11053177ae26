// Log output: JSON for machines, readable lines in a terminal, secrets redacted either way.
import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { loggerOptions, prettyStream } from "../../src/platform/logger/index.js";

function capture() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

describe("logger", () => {
  it("writes readable lines through pino-pretty, with the event's fields and secrets redacted", () => {
    const out = capture();
    const log = pino(loggerOptions("info"), prettyStream(out.stream));
    log.info(
      { requestId: "r-1", sqlStatements: 2, variables: { input: { password: "hunter2hunter2" } } },
      "request completed",
    );
    const text = out.text();
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: request completed\n/);
    expect(text).toContain('requestId: "r-1"');
    expect(text).toContain("sqlStatements: 2");
    expect(text).toContain("[redacted]");
    expect(text).not.toContain("hunter2");
    expect(() => JSON.parse(text)).toThrow();
  });

  it("writes JSON lines otherwise", () => {
    const out = capture();
    pino(loggerOptions("info"), out.stream).info({ requestId: "r-2" }, "request completed");
    expect(JSON.parse(out.text())).toMatchObject({
      requestId: "r-2",
      msg: "request completed",
      service: "graphql-gateway",
    });
  });
});
