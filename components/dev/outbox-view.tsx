'use client';

import {
  Alert,
  Badge,
  Card,
  Divider,
  Flex,
  Heading,
  Link,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Text,
  View,
} from '@aws-amplify/ui-react';
import NextLink from 'next/link';
import { AddressBreaks, EmailAddress } from '@/components/email-address';
import styles from './outbox-view.module.css';

export interface OutboxEntry {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  kind?: string;
  createdAt: string;
}

const URL_PATTERN = /https?:\/\/[^\s<>"')]+/g;

/** /dev/outbox: the mail the console would have sent, newest first, with one message opened. */
export function OutboxView({ messages, selectedId }: { messages: OutboxEntry[]; selectedId?: string }) {
  const selected = messages.find((message) => message.id === selectedId) ?? messages[0];
  return (
    <Flex
      as="main"
      id="main"
      tabIndex={-1}
      direction="column"
      gap="large"
      padding={{ base: 'medium', medium: 'xl' }}
    >
      <Flex direction="column" gap="xs">
        <Heading level={1} fontSize="xxl" fontWeight="bold">
          Outbox
        </Heading>
        <Text color="font.secondary">
          No SMTP server is configured, so mail is kept here instead of being sent (local mode only).
        </Text>
      </Flex>
      <Alert variation="warning" isDismissible={false} hasIcon heading="For local use only">
        Anyone who can open this page can read every sign-in link. Set SMTP_URL before other people can reach
        this console.
      </Alert>
      {messages.length === 0 ? (
        <Text>The outbox is empty.</Text>
      ) : (
        <Flex direction={{ base: 'column', large: 'row' }} gap="large" alignItems="flex-start">
          <Card
            variation="outlined"
            padding="0"
            flex={{ base: '0 0 auto', large: '1 1 24rem' }}
            width="100%"
            className={styles.tableCard}
          >
            <Table caption="Messages, newest first" highlightOnHover size="small" className={styles.table}>
              <TableHead>
                <TableRow>
                  <TableCell as="th">Sent</TableCell>
                  <TableCell as="th">To</TableCell>
                  <TableCell as="th">Subject</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {messages.map((message) => (
                  <TableRow
                    key={message.id}
                    data-testid="outbox-row"
                    aria-current={message === selected ? 'true' : undefined}
                  >
                    <TableCell className={styles.sent}>
                      <time dateTime={message.createdAt}>{formatTime(message.createdAt)}</time>
                    </TableCell>
                    <TableCell>
                      <EmailAddress address={message.to} />
                    </TableCell>
                    <TableCell className={styles.subject}>
                      <Link as={NextLink} href={`/dev/outbox?id=${encodeURIComponent(message.id)}`}>
                        <AddressBreaks text={message.subject} />
                      </Link>{' '}
                      {message.kind ? <Badge size="small">{message.kind}</Badge> : null}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </Card>
          {selected ? <MessageView message={selected} /> : null}
        </Flex>
      )}
    </Flex>
  );
}

function MessageView({ message }: { message: OutboxEntry }) {
  const links = Array.from(new Set(message.text.match(URL_PATTERN) ?? []));
  return (
    <Card
      as="article"
      variation="outlined"
      flex={{ base: '0 0 auto', large: '1 1 32rem' }}
      width="100%"
      className={styles.message}
      aria-label={`Message: ${message.subject}`}
    >
      <Flex direction="column" gap="small">
        <Heading level={2} fontSize="large">
          {message.subject}
        </Heading>
        <Text fontSize="small" color="font.secondary">
          From {message.from} to <EmailAddress address={message.to} />, {formatTime(message.createdAt)}
        </Text>
        {links.length > 0 ? (
          <Flex direction="column" gap="xxs">
            <Text fontWeight="bold" fontSize="small">
              Links in this message
            </Text>
            {links.map((url) => (
              <Link key={url} href={url} style={{ wordBreak: 'break-all' }}>
                {url}
              </Link>
            ))}
          </Flex>
        ) : null}
        <Divider />
        {message.html ? (
          <iframe
            title={`HTML body of ${message.subject}`}
            srcDoc={message.html}
            sandbox=""
            style={{ width: '100%', minHeight: '32rem', border: 0 }}
          />
        ) : null}
        <View as="details">
          <summary>Plain-text body</summary>
          <pre data-testid="outbox-text" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
            {message.text}
          </pre>
        </View>
      </Flex>
    </Card>
  );
}

function formatTime(iso: string): string {
  return (
    new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }) +
    ' UTC'
  );
}
