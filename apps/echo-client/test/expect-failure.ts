import { expect } from "vitest";
import { EchoClientError } from "../src/index.js";

/** Resolves with the EchoClientError promise rejected with, failing the test otherwise. */
export async function expectFailure(promise: Promise<unknown>): Promise<EchoClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EchoClientError);
  return error as EchoClientError;
}
