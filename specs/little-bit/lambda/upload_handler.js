// S3 trigger: a new upload under uploads/ becomes a processing message on the queue.
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");

const sqs = new SQSClient({});

exports.handler = async (event) => {
  for (const record of event.Records) {
    await sqs.send(new SendMessageCommand({
      QueueUrl: process.env.PROCESSING_QUEUE_URL,
      MessageBody: JSON.stringify({
        bucket: record.s3.bucket.name,
        key: decodeURIComponent(record.s3.object.key.replace(/\+/g, " ")),
      }),
    }));
  }
};
