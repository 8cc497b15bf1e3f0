/**
 * Writes docs/gcp-provider-review.md from constructs/gcp/provider-facts.ts
 * (a test fails when the file is not up to date).
 *
 *   npx tsc -p . && node dist/scripts/gcp-provider-review.js
 */
import * as fs from "fs";
import * as path from "path";
import { renderGcpProviderReview } from "../constructs/gcp/provider-review";

export const GCP_PROVIDER_REVIEW_DOC = path.join(__dirname, "..", "..", "docs", "gcp-provider-review.md");

if (require.main === module) {
  fs.writeFileSync(GCP_PROVIDER_REVIEW_DOC, renderGcpProviderReview());
  process.stdout.write(`wrote ${GCP_PROVIDER_REVIEW_DOC}\n`);
}
