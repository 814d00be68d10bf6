// Bytes ids, as The Graph recommends: immutable events by transaction hash ++ log index, pairs by
// concatenated addresses, periods by number.
import { Address, BigInt, Bytes, ethereum } from "@graphprotocol/graph-ts";

export function eventId(event: ethereum.Event): Bytes {
  return event.transaction.hash.concatI32(event.logIndex.toI32());
}

export function pairId(a: Address, b: Address): Bytes {
  return a.concat(b);
}

/** Market address ++ loan id as a 32-byte big-endian word. */
export function loanEntityId(market: Address, loanId: BigInt): Bytes {
  let word = Bytes.fromHexString(loanId.toHexString().slice(2).padStart(64, "0"));
  return market.concat(word);
}

function i64ToBytes(value: i64): Bytes {
  let bytes = new Bytes(8);
  for (let i = 0; i < 8; i++) bytes[7 - i] = <u8>((value >> (i * 8)) & 0xff);
  return bytes;
}

export function periodId(owner: Bytes, period: string, number: i64): Bytes {
  return owner.concat(Bytes.fromUTF8(period)).concat(i64ToBytes(number));
}

export function bucketId(market: Bytes, index: i32): Bytes {
  return market.concatI32(index);
}
