import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { tempDir } from '@switchboard/testkit';
import { blobContract } from './blob.contract.js';
import { createBlobStore } from './index.js';

blobContract('files', async () => {
  const dir = tempDir('sb-blob');
  return { store: await createBlobStore({ driver: 'files', dir: dir.dir }), cleanup: async () => dir.remove() };
});

const mongoUrl = process.env.MONGODB_URL;
blobContract(
  'gridfs',
  async () => {
    const database = `sbtest_blob_${randomUUID().slice(0, 8)}`;
    const store = await createBlobStore({ driver: 'gridfs', url: mongoUrl as string, database });
    return {
      store,
      cleanup: async () => {
        const client = await MongoClient.connect(mongoUrl as string);
        await client.db(database).dropDatabase();
        await client.close();
      },
    };
  },
  mongoUrl ? {} : { skip: 'MONGODB_URL is not set' },
);
