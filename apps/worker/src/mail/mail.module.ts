import { Module, type DynamicModule } from '@nestjs/common';
import { mailOptions, type AppConfig } from '@corridor/config';
import { MailDispatcher } from './mail-dispatcher.service';
import { MailSender } from './mail-sender.service';
import { MailSweeper } from './mail-sweeper.service';
import { MAIL_OPTIONS } from './mail-transport';
import { SendMailProcessor } from './send-mail.processor';

/**
 * E-mail: the dispatcher the rules engine calls and the `send-mail` worker. Needs the config,
 * persistence and queue modules (global) of its host.
 */
@Module({})
export class MailModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: MailModule,
      providers: [
        { provide: MAIL_OPTIONS, useValue: mailOptions(config) ?? null },
        MailDispatcher,
        MailSender,
        SendMailProcessor,
        MailSweeper,
      ],
      exports: [MailDispatcher, MailSweeper],
    };
  }
}
