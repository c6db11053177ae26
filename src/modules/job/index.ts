import { defineModule } from "../module.js";
import { JobResolver } from "./job.resolver.js";
import { jobPermissions } from "./job.rules.js";

/** Admins' view of the background jobs (the queue itself is platform/jobs; the kinds live in their modules). */
export const jobModule = defineModule({
  name: "job",
  resolvers: [JobResolver],
  permissions: jobPermissions,
});
