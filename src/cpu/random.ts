// Deterministic random numbers for what the guest may ask the "hardware" or the kernel for
// (darn, getrandom, AT_RANDOM): the same seed gives the same bytes, so runs replay exactly.

/** splitmix64 (Steele, Lea, Flood, OOPSLA 2014): a 64-bit generator from a 64-bit seed. */
export function splitmix64(seed: bigint | number): () => bigint {
  let x = BigInt.asUintN(64, BigInt(seed));
  return () => {
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  };
}
