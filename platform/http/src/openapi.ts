import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** OpenAPI generated from the same TypeBox schemas that validate requests; browsable at /docs. */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Switchboard API', version: '1.0.0', description: 'REST API of the Switchboard support hub.' },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An agent access token from POST /api/v1/auth/login.' },
          apiKey: {
            type: 'http',
            scheme: 'bearer',
            bearerFormat: 'sbk_<id>_<secret>',
            description: 'A team API key (POST /api/v1/api-keys); reaches only routes that name one of its scopes.',
          },
        },
      },
      security: [{ bearer: [] }, { apiKey: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}
