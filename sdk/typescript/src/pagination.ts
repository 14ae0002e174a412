import type { Pagination } from "./generated/types.gen.js";

/** A list response: `data` plus `pagination`. */
export interface Page<T> {
  data: Array<T>;
  pagination: Pagination;
}

/**
 * Every item across pages, fetched as you iterate (`for await (const x of paginator)`),
 * following `pagination.nextCursor`.
 */
export class Paginator<T> implements AsyncIterable<T> {
  constructor(private readonly fetchPage: (cursor: string | undefined) => Promise<Page<T>>) {}

  /** Each page in turn. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    let cursor: string | undefined;
    for (;;) {
      const page = await this.fetchPage(cursor);
      yield page;
      const next = page.pagination.nextCursor;
      if (!next || !page.pagination.hasMore) return;
      cursor = next;
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item in one array (fetches every page). */
  async toArray(): Promise<Array<T>> {
    const items: Array<T> = [];
    for await (const item of this) items.push(item);
    return items;
  }

  /** Only the first page. */
  firstPage(): Promise<Page<T>> {
    return this.fetchPage(undefined);
  }
}
