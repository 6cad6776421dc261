import { Module } from '@nestjs/common';
import { TimelineModule } from '../timeline/timeline.module';
import { ContactController } from './contact.controller';
import { DisclosureController } from './disclosure.controller';
import { AnswerContact } from './usecases/answer-contact.service';
import { GetDisclosurePolicy } from './usecases/get-disclosure-policy.service';
import { ListContactRequests } from './usecases/list-contact-requests.service';
import { RequestContact } from './usecases/request-contact.service';
import { UpdateDisclosurePolicy } from './usecases/update-disclosure-policy.service';

/**
 * What an organization discloses of matches with its restricted incidents, and the brokered contact
 * requests between the sides of an anonymous match (issue #7 §2). `RequestContact` is exported for
 * the socket gateway's `correlation.contact` event.
 */
@Module({
  imports: [TimelineModule],
  controllers: [DisclosureController, ContactController],
  providers: [GetDisclosurePolicy, UpdateDisclosurePolicy, RequestContact, ListContactRequests, AnswerContact],
  exports: [RequestContact],
})
export class DisclosureModule {}
