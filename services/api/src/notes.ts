import type { Pool } from "pg";

/** A note as the API returns it. */
export interface Note {
    id: number;
    text: string;
    createdAt: string;
}

interface NoteRow {
    id: string;
    text: string;
    created_at: Date;
}

const toNote = (row: NoteRow): Note => ({ id: Number(row.id), text: row.text, createdAt: row.created_at.toISOString() });

export const maxNoteLength = 1000;

/** Why a request body is not a note, or undefined when it is one. */
export function noteProblem(body: unknown): string | undefined {
    const text = (body as { text?: unknown } | null)?.text;
    if (typeof text !== "string") {
        return "body must be a JSON object with a string field text";
    }
    if (text.trim().length === 0 || [...text].length > maxNoteLength) {
        return `text must hold 1 to ${maxNoteLength} characters`;
    }
    return undefined;
}

export async function createNote(pool: Pool, text: string): Promise<Note> {
    const { rows } = await pool.query<NoteRow>("INSERT INTO notes (text) VALUES ($1) RETURNING id, text, created_at", [text]);
    return toNote(rows[0]);
}

export async function listNotes(pool: Pool, limit: number): Promise<Note[]> {
    const { rows } = await pool.query<NoteRow>("SELECT id, text, created_at FROM notes ORDER BY created_at DESC, id DESC LIMIT $1", [limit]);
    return rows.map(toNote);
}

export async function getNote(pool: Pool, id: number): Promise<Note | undefined> {
    const { rows } = await pool.query<NoteRow>("SELECT id, text, created_at FROM notes WHERE id = $1", [id]);
    return rows[0] ? toNote(rows[0]) : undefined;
}
