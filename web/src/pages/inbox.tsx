import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, ErrorMessage, Loading } from '../components/states';
import { when, words } from '../format';

/**
 * Where a message's link points inside the app: its path when it is one of our screens (the
 * link is absolute so that it also works from an email), else null.
 */
export function inAppPath(link: string): string | null {
  try {
    const url = new URL(link, window.location.origin);
    return url.pathname === '/' ? null : `${url.pathname}${url.search}`;
  } catch {
    return null;
  }
}

/** My in-app notifications, newest first: read them, open what they point at, mark them read. */
export default function InboxPage() {
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const messages = useInfiniteQuery({
    queryKey: ['inbox', { unreadOnly }],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        api.GET('/api/v1/inbox', {
          params: {
            query: {
              limit: 50,
              ...(unreadOnly ? { unread: 'true' as const } : {}),
              ...(pageParam === undefined ? {} : { cursor: pageParam }),
            },
          },
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['inbox'] });
  const markRead = useMutation({
    mutationFn: (id: number) =>
      unwrap(api.POST('/api/v1/inbox/{id}/read', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  const markAll = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/inbox/read-all')),
    onSuccess: refresh,
  });

  if (messages.isPending) return <Loading what="your inbox" />;
  if (messages.isError) return <ErrorMessage error={messages.error} retry={refresh} />;
  const pages = messages.data.pages;
  const items = pages.flatMap((p) => p.items);
  const unread = pages[0]?.unread_count ?? 0;
  return (
    <section>
      <h1>Inbox</h1>
      <div className="toolbar">
        <p className="muted">{unread === 1 ? '1 unread message' : `${unread} unread messages`}</p>
        <label>
          <input
            type="checkbox"
            checked={unreadOnly}
            onChange={(e) => setUnreadOnly(e.target.checked)}
          />{' '}
          Only unread
        </label>
        <button
          type="button"
          disabled={unread === 0 || markAll.isPending}
          onClick={() => markAll.mutate()}
        >
          Mark all read
        </button>
      </div>
      {markRead.isError && <ErrorMessage error={markRead.error} />}
      {markAll.isError && <ErrorMessage error={markAll.error} />}
      {items.length === 0 ? (
        <Empty>
          {unreadOnly
            ? 'Nothing unread. Untick "Only unread" to see earlier messages.'
            : 'No messages yet. When something needs you (a pre-bill to approve, a question to answer, an exception you own), it appears here.'}
        </Empty>
      ) : (
        <ul className="inbox" aria-label="Messages">
          {items.map((message) => {
            const path = inAppPath(message.link);
            const isUnread = message.read_at === null;
            return (
              <li key={message.id} className={isUnread ? 'inbox-unread' : undefined}>
                <h2>
                  {isUnread && <span className="visually-hidden">Unread: </span>}
                  {path === null ? (
                    message.subject
                  ) : (
                    <Link
                      to={path}
                      onClick={() => {
                        if (isUnread) markRead.mutate(message.id);
                      }}
                    >
                      {message.subject}
                    </Link>
                  )}
                </h2>
                <p className="muted">
                  {words(message.kind)} · {when(message.created_at)}
                </p>
                <p className="inbox-body">{message.body}</p>
                {isUnread && (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => markRead.mutate(message.id)}
                  >
                    Mark read
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {messages.hasNextPage && (
        <button
          type="button"
          disabled={messages.isFetchingNextPage}
          onClick={() => void messages.fetchNextPage()}
        >
          {messages.isFetchingNextPage ? 'Loading…' : 'Older messages'}
        </button>
      )}
    </section>
  );
}
