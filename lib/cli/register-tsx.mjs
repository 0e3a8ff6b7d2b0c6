// Preloaded into the CLI's node process (--import): tsx compiles lib/ on the fly and resolves the `@/` alias from
// this repository's tsconfig.json, whatever directory the user runs mirrorlag from.
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../../tsconfig.json", import.meta.url)) });
