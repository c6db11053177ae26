import type { Order, OrderItem } from "../../generated/prisma/client.js";
import { html, type MailContent, mailKind, mailPage } from "../../platform/mail/index.js";

export const orderConfirmationMail = mailKind("order-confirmation", { attempts: 10 });
export const orderStatusMail = mailKind("order-status", { attempts: 10 });

const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;

export function orderConfirmationContent(name: string, order: Order, items: readonly OrderItem[]): MailContent {
  const units = items.reduce((sum, item) => sum + item.quantity, 0);
  const total = money(order.totalCents, order.currency);
  return {
    subject: `Order ${order.id} received`,
    text: `Hello ${name},\n\nthank you for your order ${order.id}: ${units} item(s), ${total} in total.\nWe will write again when it ships.`,
    html: mailPage(
      "Order received",
      html`<p>Hello ${name},</p>
<p>thank you for your order <strong>${order.id}</strong>: ${units} item(s), ${total} in total.</p>
<p>We will write again when it ships.</p>`,
    ),
  };
}

export function orderStatusContent(name: string, order: Order): MailContent {
  const status = order.status.toLowerCase();
  return {
    subject: `Order ${order.id} is ${status}`,
    text: `Hello ${name},\n\nyour order ${order.id} is now ${status}.`,
    html: mailPage(
      "Order status",
      html`<p>Hello ${name},</p>
<p>your order <strong>${order.id}</strong> is now <strong>${status}</strong>.</p>`,
    ),
  };
}
