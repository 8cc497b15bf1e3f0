/**
 * Generates docs/azure-provider-review.md from constructs/azure/provider-facts.ts,
 * so the review cannot drift from the table the tests use (a test compares them).
 *
 *   npx tsc -p . && node dist/scripts/azure-provider-review.js   # rewrites docs/azure-provider-review.md
 */
import * as fs from "fs";
import * as path from "path";
import { renderAzureProviderReview } from "../constructs/azure/provider-facts";

export const AZURE_PROVIDER_REVIEW_DOC = path.join(__dirname, "..", "..", "docs", "azure-provider-review.md");

if (require.main === module) {
  fs.writeFileSync(AZURE_PROVIDER_REVIEW_DOC, renderAzureProviderReview());
  process.stdout.write(`wrote ${AZURE_PROVIDER_REVIEW_DOC}\n`);
}
