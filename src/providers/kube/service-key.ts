/** How listed Services are keyed: the service-label kind's read looks them up by namespace and name. */
export function serviceKey(namespace: string | undefined, name: string | undefined): string {
  return `${namespace}/${name}`
}
