import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { validate } from 'class-validator';
import { plainToInstance } from 'class-transformer';
import { ChatCompletionRequestDto } from './dto/chat-completion-request.dto';
import { OpenAIValidationPipe } from './openai-validation.pipe';
const cpu = async (name: string, f: () => Promise<unknown>) => {
  for (let i = 0; i < 5; i++) await f();
  const t0 = process.cpuUsage();
  for (let i = 0; i < 50; i++) await f();
  console.log(name, process.cpuUsage(t0).user / 50 / 1e3, 'ms/request');
};
it('bench', async () => {
  const img = `data:image/png;base64,${'A'.repeat(20_000_000)}`;
  const withImage = { model: 'g', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'image_url', image_url: { url: img } }] }] };
  const small = { model: 'g', messages: [{ role: 'user', content: 'hi' }] };
  const meta = { type: 'body' as const, metatype: ChatCompletionRequestDto };
  const mine = new OpenAIValidationPipe();
  const stock = new ValidationPipe({ whitelist: false });
  await cpu('mine image', () => mine.transform(withImage, meta));
  await cpu('stock image', () => stock.transform(withImage, meta));
  await cpu('mine small', () => mine.transform(small, meta));
  await cpu('stock small', () => stock.transform(small, meta));
  const inst = Object.assign(new ChatCompletionRequestDto(), withImage);
  await cpu('validate only, image', () => validate(inst));
  await cpu('plainToInstance image', async () => plainToInstance(ChatCompletionRequestDto, withImage));
});
