import type { Post } from "../../generated/prisma/client.js";
import { createLoader, inKeyOrder, type LoaderDeps, loaderPerArguments } from "../../platform/loaders/index.js";
import type { PageRequest } from "../../platform/pagination/index.js";
import { postRepository } from "./post.repository.js";

export type PostLoaders = ReturnType<typeof createPostLoaders>;

declare module "../../context.js" {
  interface ModuleLoaders {
    post: PostLoaders;
  }
}

export function createPostLoaders(deps: LoaderDeps) {
  const posts = postRepository(deps.prisma);
  return {
    /** Any post, drafts included: the service checks it is readable before handing it out. */
    byId: createLoader(async (ids: readonly string[]) => inKeyOrder(ids, await posts.findByIds(ids), (p) => p.id)),
    bySlug: createLoader(async (slugs: readonly string[]) =>
      inKeyOrder(slugs, await posts.findBySlugs(slugs), (p) => p.slug),
    ),
    // Loaders live for one request, so the request's viewer can scope what the batches read.
    pageByAuthor: loaderPerArguments((page: PageRequest<Post>) =>
      createLoader((authorIds: readonly string[]) => posts.pagesByAuthor(deps.viewer, authorIds, page)),
    ),
    countByAuthor: createLoader((authorIds: readonly string[]) => posts.countsByAuthor(deps.viewer, authorIds)),
  };
}
