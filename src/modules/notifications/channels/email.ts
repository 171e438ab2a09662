/**
 * Email through nodemailer: over SMTP when MATTERFLOW_SMTP_URL is set, otherwise written as
 * .eml files into the data directory's `mail` folder so the demo works offline
 * (`matterflow mail` reads them). nodemailer builds the MIME message either way, so the files
 * are exactly what an SMTP server would have received.
 */
import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { NotificationSettings } from '../../../config/notifications.js';
import type { OutgoingMessage } from './channel.js';

export type SendEmail = (message: OutgoingMessage) => Promise<void>;

/** Message-ID derived from the idempotency key: a retried send is recognisably the same mail. */
export function messageIdOf(idempotencyKey: string): string {
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@matterflow>`;
}

function mailOf(settings: NotificationSettings, message: OutgoingMessage) {
  return {
    from: settings.mailFrom,
    to: { name: message.recipient.name, address: message.recipient.email },
    subject: message.rendered.subject,
    text: message.rendered.text,
    html: message.rendered.html,
    messageId: messageIdOf(message.idempotencyKey),
    date: message.createdAt,
    headers: {
      'X-Matterflow-Kind': message.kind,
      'X-Matterflow-Idempotency-Key': message.idempotencyKey,
    },
  };
}

/** The file name of a message in the mail folder: sortable by outbox id, the same on a retry. */
export function emlFileName(message: Pick<OutgoingMessage, 'outboxId' | 'kind'>): string {
  return `${String(message.outboxId).padStart(9, '0')}-${message.kind}.eml`;
}

/** An email sender for the settings, and a close function for its connections. */
export function createEmailSender(settings: NotificationSettings): {
  send: SendEmail;
  close: () => void;
} {
  if (settings.smtpUrl !== null) {
    const transport = nodemailer.createTransport(settings.smtpUrl);
    return {
      send: async (message) => {
        await transport.sendMail(mailOf(settings, message));
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    send: async (message) => {
      const info = await transport.sendMail(mailOf(settings, message));
      await mkdir(settings.mailDir, { recursive: true });
      const path = join(settings.mailDir, emlFileName(message));
      // Written whole then renamed, so `matterflow mail` never reads half a message.
      await writeFile(`${path}.tmp`, info.message as Buffer);
      await rename(`${path}.tmp`, path);
    },
    close: () => transport.close(),
  };
}
