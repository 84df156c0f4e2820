// The knowledge base (service guide): search, read, edit (knowledge:article:edit).
import { get, post, put, type RequestOptions } from '@/utils/request';

export interface Article {
  id: number;
  title: string;
  body?: string; // the full text (GET /knowledge/{id}); lists carry `summary`
  summary?: string;
  keywords: string[];
  org_name?: string;
  category: string;
  org_id: number | null;
  status: string;
  version: number;
  updated_at: string;
}

export interface ArticleQuery {
  q?: string;
  category?: string;
  cursor?: string;
  limit?: number;
}

export interface ArticlePage {
  items: Article[];
  next_cursor: string | null;
}

export interface ArticleInput {
  title: string;
  body: string;
  keywords: string[];
  category: string;
  org_id?: number | null;
  version?: number;
}

export const searchArticles = (q: ArticleQuery, opts: RequestOptions = {}) =>
  get<ArticlePage>('/knowledge', q as Record<string, string | number | undefined>, opts);
export const getArticle = (id: number) => get<Article>(`/knowledge/${id}`);
export const createArticle = (a: ArticleInput) => post<Article>('/knowledge', a);
export const updateArticle = (id: number, a: ArticleInput) => put<Article>(`/knowledge/${id}`, a);
export const publishArticle = (id: number, version: number) =>
  post<Article>(`/knowledge/${id}/publish`, { version });
