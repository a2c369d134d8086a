import { util } from '@aws-appsync/utils';
import * as ddb from '@aws-appsync/utils/dynamodb';

export function request(ctx) {
  const item = {
    ...ctx.args.input,
    owner: ctx.identity.sub,
    status: 'UPLOADED',
    createdAt: util.time.nowISO8601(),
  };
  return ddb.put({ key: { id: util.autoId() }, item });
}

export function response(ctx) {
  return ctx.result;
}
