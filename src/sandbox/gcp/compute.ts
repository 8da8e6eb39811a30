import {firewallRoutes} from './compute-firewalls.js'
import {networkRoutes} from './compute-networks.js'
import {operationRoutes, projectRoutes} from './compute-operations.js'
import {subnetRoutes} from './compute-subnetworks.js'
import type {Route} from './router.js'

/** The compute v1 REST subset mcfed uses, one file per resource. */
export const computeRoutes: Route[] = [...networkRoutes, ...subnetRoutes, ...firewallRoutes, ...operationRoutes, ...projectRoutes]
