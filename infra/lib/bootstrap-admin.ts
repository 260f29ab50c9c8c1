import { type aws_cognito as cognito, custom_resources as cr, aws_iam as iam } from 'aws-cdk-lib';
import { Construct, type IDependable } from 'constructs';
import { invitationMetadata } from '../../server/triggers/protocol';

/**
 * BOOTSTRAP_ADMIN_EMAIL invited as Full access on deploy: AdminCreateUser (Cognito emails the
 * invitation through the custom-message trigger), then AdminAddUserToGroup. An existing member is
 * left as is (UsernameExistsException ignored; adding to a group twice is harmless); a changed
 * address invites the new person on the next deploy.
 */
export class BootstrapAdmin extends Construct {
  constructor(
    scope: Construct,
    id: string,
    props: { email: string; pool: cognito.IUserPool; group: cognito.CfnUserPoolGroup; after: IDependable[] },
  ) {
    super(scope, id);
    const { email, pool, group } = props;
    const policy = cr.AwsCustomResourcePolicy.fromStatements([
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminCreateUser', 'cognito-idp:AdminAddUserToGroup'],
        resources: [pool.userPoolArn],
      }),
    ]);
    const inviteCall: cr.AwsSdkCall = {
      service: 'CognitoIdentityServiceProvider',
      action: 'adminCreateUser',
      parameters: {
        UserPoolId: pool.userPoolId,
        Username: email,
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
        DesiredDeliveryMediums: ['EMAIL'],
        ClientMetadata: invitationMetadata('', 'full'),
      },
      physicalResourceId: cr.PhysicalResourceId.of(`bootstrap-admin:${email}`),
      ignoreErrorCodesMatching: 'UsernameExistsException',
    };
    const invite = new cr.AwsCustomResource(this, 'Invite', {
      onCreate: inviteCall,
      onUpdate: inviteCall,
      policy,
      installLatestAwsSdk: false,
    });
    invite.node.addDependency(...props.after);
    const groupCall: cr.AwsSdkCall = {
      service: 'CognitoIdentityServiceProvider',
      action: 'adminAddUserToGroup',
      parameters: { UserPoolId: pool.userPoolId, Username: email, GroupName: group.groupName },
      physicalResourceId: cr.PhysicalResourceId.of(`bootstrap-admin-group:${email}`),
    };
    const addToGroup = new cr.AwsCustomResource(this, 'AddToGroup', {
      onCreate: groupCall,
      onUpdate: groupCall,
      policy,
      installLatestAwsSdk: false,
    });
    addToGroup.node.addDependency(invite, group);
  }
}
