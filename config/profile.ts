/** The two shapes a stack can take; every other stack picks one with `platform:profile`. */
export const profiles = ["dev", "production"] as const;

/** `dev` is cheap and disposable; `production` is highly available and protected. */
export type Profile = (typeof profiles)[number];

/** A value that differs per profile, e.g. the defaults of a config section. */
export type PerProfile<T> = Record<Profile, T>;
