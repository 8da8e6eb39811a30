/** JSON values: what attributes hold, so plans serialize without loss. */
export type Json = null | boolean | number | string | Json[] | {[key: string]: Json}
export type Attributes = Readonly<Record<string, Json>>
