-- DropIndex
DROP INDEX "posts_status_publishedAt_id_idx";

-- CreateIndex
CREATE INDEX "posts_status_createdAt_id_idx" ON "posts"("status", "createdAt", "id");
