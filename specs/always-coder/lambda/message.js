// $default: relays an end-to-end encrypted payload to the other connections of its session and
// caches it for late joiners. The payload is ciphertext; nothing here can read it.
const {
  DynamoDBClient, QueryCommand, PutItemCommand, UpdateItemCommand,
} = require("@aws-sdk/client-dynamodb");
const {
  ApiGatewayManagementApiClient, PostToConnectionCommand,
} = require("@aws-sdk/client-apigatewaymanagementapi");

const dynamodb = new DynamoDBClient({});
const ttlSeconds = Number(process.env.RECORD_TTL_SECONDS);

exports.handler = async (event) => {
  const { domainName, stage, connectionId } = event.requestContext;
  const management = new ApiGatewayManagementApiClient({ endpoint: `https://${domainName}/${stage}` });
  const message = JSON.parse(event.body || "{}");
  const expires = String(Math.floor(Date.now() / 1000) + ttlSeconds);

  await dynamodb.send(new UpdateItemCommand({
    TableName: process.env.SESSIONS_TABLE,
    Key: { sessionId: { S: message.sessionId } },
    UpdateExpression: "SET lastActivity = :now, #ttl = :ttl",
    ExpressionAttributeNames: { "#ttl": "ttl" },
    ExpressionAttributeValues: { ":now": { N: String(Date.now()) }, ":ttl": { N: expires } },
  }));
  await dynamodb.send(new PutItemCommand({
    TableName: process.env.MESSAGES_TABLE,
    Item: {
      sessionId: { S: message.sessionId },
      timestamp: { N: String(Date.now()) },
      payload: { S: message.payload },
      ttl: { N: expires },
    },
  }));
  const peers = await dynamodb.send(new QueryCommand({
    TableName: process.env.CONNECTIONS_TABLE,
    IndexName: "sessionId-index",
    KeyConditionExpression: "sessionId = :session",
    ExpressionAttributeValues: { ":session": { S: message.sessionId } },
  }));
  for (const peer of peers.Items || []) {
    if (peer.connectionId.S === connectionId) continue;
    await management.send(new PostToConnectionCommand({
      ConnectionId: peer.connectionId.S,
      Data: JSON.stringify(message),
    }));
  }
  return { statusCode: 200 };
};
