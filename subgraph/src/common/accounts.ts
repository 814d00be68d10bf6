import { Address } from "@graphprotocol/graph-ts";
import { Account } from "../../generated/schema";

export function getOrCreateAccount(address: Address): Account {
  let account = Account.load(address);
  if (account == null) {
    account = new Account(address);
    account.loanCount = 0;
    account.openLoanCount = 0;
    account.liquidationCount = 0;
    account.save();
  }
  return account;
}
