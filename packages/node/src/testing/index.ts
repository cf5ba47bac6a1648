// @spiderpool-ts/node/testing: test doubles for host code. Each file says what it stands for.
export type { SriovHardware, SriovHardwareOptions, VfStandIns } from './sriovHardware.ts';
export { createSriovHardware, seedHardwarePf, vfNetdevName, vfPciAddress } from './sriovHardware.ts';
