// Hand-written stand-in for the reflect-metadata package (not a dependency yet): tsyringe inside @peculiar/x509 needs only these three Reflect calls.
type MetadataKey = unknown;
const store = new WeakMap<object, Map<string | symbol | undefined, Map<MetadataKey, unknown>>>();

function table(target: object, property: string | symbol | undefined, create: boolean): Map<MetadataKey, unknown> | undefined {
  let byProperty = store.get(target);
  if (!byProperty && create) store.set(target, (byProperty = new Map()));
  let entries = byProperty?.get(property);
  if (!entries && create && byProperty) byProperty.set(property, (entries = new Map()));
  return entries;
}

interface ReflectMetadata {
  defineMetadata(key: MetadataKey, value: unknown, target: object, property?: string | symbol): void;
  getOwnMetadata(key: MetadataKey, target: object, property?: string | symbol): unknown;
  getMetadata(key: MetadataKey, target: object, property?: string | symbol): unknown;
}

const reflect = Reflect as typeof Reflect & Partial<ReflectMetadata>;
if (!reflect.getMetadata) {
  reflect.defineMetadata = (key, value, target, property) => void table(target, property, true)?.set(key, value);
  reflect.getOwnMetadata = (key, target, property) => table(target, property, false)?.get(key);
  reflect.getMetadata = (key, target, property) => {
    for (let current: object | null = target; current; current = Object.getPrototypeOf(current) as object | null) {
      const entries = table(current, property, false);
      if (entries?.has(key)) return entries.get(key);
    }
    return undefined;
  };
}
