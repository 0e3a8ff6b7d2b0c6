import "server-only";
import { cookies, headers } from "next/headers";
import { SESSION_COOKIE } from "./operator";
import { checkOperator } from "./operator-guard";
import type { OperatorCheck } from "./operator-guard";

/** The operator standing of the request being rendered or acted on (pages and server actions). */
export async function currentOperator(): Promise<OperatorCheck> {
  return checkOperator(await headers(), (await cookies()).get(SESSION_COOKIE)?.value ?? null);
}
