-- AlterTable
ALTER TABLE "email_outbox" ADD COLUMN     "html" TEXT,
ADD COLUMN     "purgedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "email_outbox_sentAt_idx" ON "email_outbox"("sentAt");
