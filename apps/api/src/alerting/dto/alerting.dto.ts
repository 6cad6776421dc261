import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  ALERT_STATES,
  CHANNEL_TLP_LEVELS,
  MAIL_LANGUAGES,
  RSIT_CLASSES,
  SEVERITIES,
  TRIGGER_KINDS,
  DEADLINE_REMINDER_WHENS,
  type MailLanguage,
  type RsitClass,
  type Severity,
  type Tlp,
  type TriggerKind,
} from '@corridor/domain';
import { PageQuery } from '../../common/page.query';

/** The most e-mail addresses or webhook endpoints one rule names. */
export const MAX_RULE_TARGETS = 20;

export class RuleTriggerDto {
  @ApiProperty({
    enum: TRIGGER_KINDS,
    description:
      '`incident`: an incident the organization may see, of at least `minSeverity`; `correlation`: a correlation ' +
      'with one of its incidents; `watchlist-hit`: a watched value found; `contact-request`: a partner asks for contact; ' +
      '`deadline`: a regulatory deadline of one of its incidents is near or was missed.',
  })
  @IsIn(TRIGGER_KINDS)
  kind!: TriggerKind;

  @ApiPropertyOptional({ enum: SEVERITIES, description: 'Required for `incident`.' })
  @ValidateIf((trigger: RuleTriggerDto) => trigger.kind === 'incident')
  @IsIn(SEVERITIES)
  minSeverity?: Severity;

  @ApiPropertyOptional({
    enum: RSIT_CLASSES,
    isArray: true,
    description: '`incident` only: any of these RSIT classes.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RSIT_CLASSES.length)
  @IsIn(RSIT_CLASSES, { each: true })
  classes?: RsitClass[];

  @ApiPropertyOptional({
    enum: DEADLINE_REMINDER_WHENS,
    isArray: true,
    description: 'Required for `deadline`: `near` (DEADLINE_SOON_HOURS before a due time), `missed` (at it), or both.',
  })
  @ValidateIf((trigger: RuleTriggerDto) => trigger.kind === 'deadline' || trigger.when !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(DEADLINE_REMINDER_WHENS.length)
  @IsIn(DEADLINE_REMINDER_WHENS, { each: true })
  when?: Array<'near' | 'missed'>;
}

export class RuleEmailDto {
  @ApiProperty({ example: 'soc-oncall@cert.example' })
  @IsEmail()
  @Length(3, 254)
  address!: string;

  @ApiProperty({ enum: MAIL_LANGUAGES })
  @IsIn(MAIL_LANGUAGES)
  language!: MailLanguage;
}

export class RuleTargetsDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Announce to the organization’s on-call room (its live sockets); every alert is in the alert list.',
  })
  @IsOptional()
  @IsBoolean()
  room?: boolean;

  @ApiPropertyOptional({ type: [RuleEmailDto], maxItems: MAX_RULE_TARGETS, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RULE_TARGETS)
  @ValidateNested({ each: true })
  @Type(() => RuleEmailDto)
  emails?: RuleEmailDto[];

  @ApiPropertyOptional({ type: [String], maxItems: MAX_RULE_TARGETS, default: [] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_RULE_TARGETS)
  @IsString({ each: true })
  @Length(1, 100, { each: true })
  webhookEndpointIds?: string[];

  @ApiPropertyOptional({ type: String, nullable: true, description: 'An escalation policy of the organization.' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  policyId?: string | null;
}

/** POST /api/v1/notification-rules and PUT /api/v1/notification-rules/:id. */
export class RuleInputDto {
  @ApiProperty({ maxLength: 120, example: 'Critical incidents to on-call' })
  @IsString()
  @Length(1, 120)
  @Matches(/\S/, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  @ApiProperty({ type: RuleTriggerDto })
  @IsObject({ message: 'trigger must be an object' })
  @ValidateNested()
  @Type(() => RuleTriggerDto)
  trigger!: RuleTriggerDto;

  @ApiProperty({ type: RuleTargetsDto })
  @IsObject({ message: 'targets must be an object' })
  @ValidateNested()
  @Type(() => RuleTargetsDto)
  targets!: RuleTargetsDto;

  @ApiPropertyOptional({
    enum: CHANNEL_TLP_LEVELS,
    default: 'GREEN',
    description: 'The highest TLP whose content the rule’s e-mails carry; above it only the label and ids. Never RED.',
  })
  @IsOptional()
  @IsIn(CHANNEL_TLP_LEVELS)
  maxTlp?: Tlp;
}

export class RuleDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() enabled!: boolean;
  @ApiProperty({ type: RuleTriggerDto }) trigger!: RuleTriggerDto;
  @ApiProperty({ type: RuleTargetsDto }) targets!: RuleTargetsDto;
  @ApiProperty({ enum: CHANNEL_TLP_LEVELS }) maxTlp!: string;
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class RuleListDto {
  @ApiProperty({ type: [RuleDto] }) items!: RuleDto[];
}

/** GET /api/v1/oncall/alerts. */
export class ListRuleAlertsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Comma-separated states to list (default: all but `withdrawn`, whose source was retracted).',
    example: 'triggered,acknowledged',
  })
  @IsOptional()
  @Matches(new RegExp(`^(${ALERT_STATES.join('|')})(,(${ALERT_STATES.join('|')}))*$`), {
    message: `state must be a comma-separated list of ${ALERT_STATES.join(', ')}`,
  })
  state?: string;
}

export class RuleAlertIncidentDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: SEVERITIES }) severity!: string;
  @ApiProperty({ example: 'fraud/phishing' }) classification!: string;
}

export class ByAtDto {
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class RuleAlertDto {
  @ApiProperty({ example: 'al-…' }) id!: string;
  @ApiProperty() ruleId!: string;
  @ApiProperty() ruleName!: string;
  @ApiProperty({ enum: TRIGGER_KINDS }) trigger!: string;
  @ApiProperty({ enum: ALERT_STATES }) state!: string;
  @ApiProperty({ description: 'The TLP of the incident the alert is about.' }) tlp!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    type: RuleAlertIncidentDto,
    nullable: true,
    description: 'Null when the reader may not see the incident (or lacks `incidents:read`).',
  })
  incident!: RuleAlertIncidentDto | null;
  @ApiProperty({
    description:
      'The organization’s own detail: its value, its watched value, or the correlation a contact request is about.',
  })
  detail!: Record<string, string>;
  @ApiProperty({ type: ByAtDto, nullable: true }) acknowledged!: ByAtDto | null;
  @ApiProperty({ type: ByAtDto, nullable: true }) resolved!: ByAtDto | null;
  @ApiProperty({ nullable: true, description: '{ step, nextAt }: the next escalation step and when it is due.' })
  escalation!: { step: number; nextAt: string | null } | null;
}

export class RuleAlertPageDto {
  @ApiProperty({ type: [RuleAlertDto] }) items!: RuleAlertDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
