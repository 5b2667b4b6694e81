// @peculiar/x509 set up once: tsyringe inside it needs the Reflect polyfill first, and Node's WebCrypto does the maths.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto);

export { x509 };
