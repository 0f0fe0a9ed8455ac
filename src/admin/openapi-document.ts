import { Injectable } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';

type OpenApi = Record<string, unknown>;

/**
 * The OpenAPI description of /admin/api, built on first request (Swagger's scan of every route
 * costs start-up time that no one needs until someone asks for it) from the running app, which
 * `listen()` attaches.
 */
@Injectable()
export class OpenApiDocument {
  private app?: INestApplication;
  private document?: OpenApi;

  attach(app: INestApplication): void {
    this.app = app;
  }

  async get(): Promise<OpenApi> {
    if (this.document) return this.document;
    if (!this.app) throw new Error('The OpenAPI document is built from a listening app');
    const { DocumentBuilder, SwaggerModule } = await import('@nestjs/swagger');
    const config = new DocumentBuilder()
      .setTitle('Gemini proxy administration API')
      .setDescription(
        'Password (Authorization: Bearer) or the /admin sign-in cookie; never a client key.',
      )
      .addBearerAuth()
      .build();
    const full = SwaggerModule.createDocument(this.app, config);
    const paths = Object.fromEntries(
      Object.entries(full.paths).filter(([path]) => path.startsWith('/admin/api/')),
    );
    this.document = { ...full, paths };
    return this.document;
  }
}
