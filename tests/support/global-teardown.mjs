export default async function globalTeardown() {
  await globalThis.__engines?.stop();
}
